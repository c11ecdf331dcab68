using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Telemetry;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ExtraditionCases.Tests.Observability;

/// <summary>The business meter, heard through MetricCollector on the host's own meter factory.</summary>
public sealed class MetricsTests
{
    private ApiFactory _api = null!;
    private Dictionary<string, MetricCollector<long>> _collectors = null!;

    [SetUp]
    public void StartService()
    {
        _api = new ApiFactory();
        // Only this host's meter: other tests' hosts in this process have meters of the same name.
        var factory = _api.Services.GetRequiredService<IMeterFactory>();
        _collectors = new[] { CaseMetrics.CasesFiled, CaseMetrics.Transitions, CaseMetrics.DeadlinesMissed }
            .ToDictionary(name => name, name => new MetricCollector<long>(factory, CaseMetrics.MeterName, name));
    }

    [TearDown]
    public void StopService()
    {
        foreach (var collector in _collectors.Values) collector.Dispose();
        _api.Dispose();
    }

    private void Days(int days) => _api.Clock.Advance(TimeSpan.FromDays(days));

    private List<(long Value, Dictionary<string, string?> Tags)> Heard(string instrument) =>
        [.. _collectors[instrument].GetMeasurementSnapshot().Select(m => (m.Value, m.Tags.ToDictionary(t => t.Key, t => t.Value?.ToString())))];

    [Test]
    public async Task Filing_a_case_counts_one_with_its_states_and_a_refused_filing_counts_nothing()
    {
        var officer = _api.ClientFor(Tokens.Officer("PK"));
        await Cases.FileAsync(officer);
        var invalid = Cases.NewCase();
        invalid["basis"] = "NoSuchBasis";
        var refused = await officer.PostAsync("/api/v1/cases", Cases.Json(invalid));
        var forbidden = await officer.PostAsync("/api/v1/cases", Cases.Json(Cases.NewCase("US", "GB")));

        var filed = Heard(CaseMetrics.CasesFiled);
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(filed, Has.Count.EqualTo(1));
            Assert.That(filed[0].Value, Is.EqualTo(1));
            Assert.That(filed[0].Tags[CaseMetrics.RequestingStateTag], Is.EqualTo("PK"));
            Assert.That(filed[0].Tags[CaseMetrics.RequestedStateTag], Is.EqualTo("GB"));
        });
    }

    [Test]
    public async Task A_transition_counts_one_tagged_by_its_trigger_and_the_state_it_led_to()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        var refused = await c.SendAsync("GB", "Surrender");
        await c.FireAsync("GB", "Discharge", new JsonObject { ["by"] = "Judge", ["ground"] = "Passage of time (s.82)" });

        var transitions = Heard(CaseMetrics.Transitions);
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(transitions.Select(t => (t.Value, t.Tags[CaseMetrics.TriggerTag], t.Tags[CaseMetrics.StateTag])), Is.EqualTo(new[]
            {
                (1L, "ProvisionalArrest", "ProvisionalArrest"),
                (1L, "Discharge", "Discharged"),
            }));
            Assert.That(Heard(CaseMetrics.CasesFiled), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task A_clock_stopped_after_its_due_instant_counts_as_missed_once()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        Days(5);
        await c.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" });
        Days(80);
        var opened = await c.FireAsync("GB", "OpenHearing");
        await c.FireAsync("GB", "Adjourn", new JsonObject { ["ground"] = "PhysicalOrMentalCondition" });

        var missed = Heard(CaseMetrics.DeadlinesMissed);
        Assert.Multiple(() =>
        {
            Assert.That(opened["deadlines"]!.AsArray().Single(d => (string?)d!["kind"] == "HearingStart")!["status"]!.ToString(), Is.EqualTo("Missed"));
            Assert.That(missed.Select(m => (m.Value, m.Tags[CaseMetrics.DeadlineKindTag])), Is.EqualTo(new[] { (1L, "HearingStart") }),
                "counted when recorded Missed, not again by the next step");
        });
    }

    [Test]
    public async Task A_clock_that_is_only_overdue_is_not_counted_it_is_listed()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        Days(46);
        var patched = await c.PatchAsync("GB", new JsonObject { ["requestingAuthority"] = "Ministry of Interior" });
        var read = await _api.ClientFor(Tokens.Officer("GB")).GetStringAsync($"/api/v1/cases/{c.Id}");

        Assert.Multiple(async () =>
        {
            Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await patched.Content.ReadAsStringAsync(), Does.Contain("\"Missed\""), "a write that returns the overdue clock");
            Assert.That(read, Does.Contain("\"Missed\""));
            Assert.That(Heard(CaseMetrics.DeadlinesMissed), Is.Empty);
        });
    }
}
