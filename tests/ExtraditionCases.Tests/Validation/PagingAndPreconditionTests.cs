using System.Text;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Deadlines;
using ExtraditionCases.Application.Features.Partners;
using Microsoft.AspNetCore.Http;

namespace ExtraditionCases.Tests.Validation;

/// <summary>The one cursor format every list shares, the one paging rule, and conditional headers read as versions at the edge.</summary>
public sealed class PagingAndPreconditionTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, 123, TimeSpan.Zero);

    [Test]
    public void Each_list_writes_the_cursor_text_it_always_wrote()
    {
        var id = Guid.Parse("0197a0c4-0000-7000-8000-000000000001");

        Assert.Multiple(() =>
        {
            Assert.That(Text(ListCases.Cursor.Write(new CaseCursor(At, id))), Is.EqualTo($"case1:{At.UtcTicks}:{id:N}"));
            Assert.That(Text(ListDeadlines.Cursor.Write(new ListDeadlines.Position(At, id, 3))), Is.EqualTo($"dl1:{At.UtcTicks}:{id:N}:3"));
            Assert.That(Text(GetChanges.Cursor.Write(42)), Is.EqualTo("feed1:42"));
            Assert.That(Text(ListAuditEvents.Cursor.Write(7)), Is.EqualTo("ev2:7"));
            Assert.That(Text(ListAccess.Cursor.Write(9)), Is.EqualTo("ac1:9"));
            Assert.That(ListDeadlines.Cursor.Write(new ListDeadlines.Position(At, id, 3)), Does.Match("^[A-Za-z0-9_-]+$"), "base64url without padding");
        });
    }

    [Test]
    public void A_cursor_reads_back_as_the_position_it_was_written_from()
    {
        var position = new ListDeadlines.Position(At, Guid.NewGuid(), 12);

        Assert.Multiple(() =>
        {
            Assert.That(ListDeadlines.Cursor.TryRead(ListDeadlines.Cursor.Write(position), out var read), Is.True);
            Assert.That(read, Is.EqualTo(position));
            Assert.That(GetChanges.Cursor.TryRead(GetChanges.Cursor.Write(long.MaxValue), out var seq), Is.True);
            Assert.That(seq, Is.EqualTo(long.MaxValue));
        });
    }

    [TestCase("", TestName = "empty")]
    [TestCase("!!", TestName = "not base64url")]
    [TestCase("ZmVlZDE6NDI", TestName = "another list's cursor (feed1:42 for the audit events)")]
    [TestCase("ZXYyOjQyOjE", TestName = "a part too many (ev2:42:1)")]
    [TestCase("ZXYy", TestName = "no part (ev2)")]
    [TestCase("ZXYyOi00Mg", TestName = "a signed number (ev2:-42)")]
    [TestCase("ZXYyOjQuMg", TestName = "not a whole number (ev2:4.2)")]
    public void Anything_but_a_cursor_of_the_list_is_malformed(string cursor) =>
        Assert.That(ListAuditEvents.Cursor.TryRead(cursor, out _), Is.False);

    [Test]
    public void A_cursor_longer_than_200_characters_is_malformed()
    {
        var longOne = GetChanges.Cursor.Write(1) + new string('A', 200);
        Assert.That(GetChanges.Cursor.TryRead(longOne, out _), Is.False);
    }

    [Test]
    public void A_page_holds_the_limit_and_a_cursor_after_its_last_item_only_when_more_rows_came_back()
    {
        long[] rows = [1, 2, 3, 4];

        var more = Paging.Of(rows, 3, GetChanges.Cursor, r => r, r => r * 10);
        var exact = Paging.Of(rows[..3], 3, GetChanges.Cursor, r => r, r => r * 10);

        Assert.Multiple(() =>
        {
            Assert.That(more.Items, Is.EqualTo(new long[] { 10, 20, 30 }));
            Assert.That(Text(more.NextCursor!), Is.EqualTo("feed1:3"));
            Assert.That(exact.Items, Is.EqualTo(new long[] { 10, 20, 30 }));
            Assert.That(exact.NextCursor, Is.Null);
        });
    }

    [TestCase(null, false, null, TestName = "no If-Match")]
    [TestCase("  ", false, null, TestName = "blank If-Match")]
    [TestCase("*", false, null, TestName = "If-Match star")]
    [TestCase("\"7\"", true, 7, TestName = "the strong tag of version 7")]
    [TestCase(" \"7\" ", true, 7, TestName = "spaces around the tag")]
    [TestCase("\"07\"", true, null, TestName = "a tag the service never writes")]
    [TestCase("W/\"7\"", true, null, TestName = "a weak tag")]
    [TestCase("\"7\", \"8\"", true, null, TestName = "a list of tags")]
    public void If_match_is_the_version_its_exact_tag_names(string? header, bool names, int? version)
    {
        var expected = Preconditions.IfMatch(Request("If-Match", header));
        Assert.That(expected, Is.EqualTo(names ? new ExpectedVersion(version) : null));
    }

    [Test]
    public void If_none_match_lists_versions_by_weak_comparison_or_any()
    {
        var none = Preconditions.IfNoneMatch(Request("If-None-Match", null));
        var listed = Preconditions.IfNoneMatch(Request("If-None-Match", "W/\"3\", \"4\", \"x\""))!;
        var any = Preconditions.IfNoneMatch(Request("If-None-Match", "*"))!;

        Assert.Multiple(() =>
        {
            Assert.That(none, Is.Null);
            Assert.That(listed.Versions, Is.EquivalentTo(new[] { 3, 4 }));
            Assert.That((listed.Includes(3), listed.Includes(4), listed.Includes(5)), Is.EqualTo((true, true, false)));
            Assert.That(any.Includes(99), Is.True);
            Assert.That(Preconditions.ETagOf(12), Is.EqualTo("\"12\""));
        });
    }

    /// <summary>The tags read in place (issue 20) name exactly the versions the split-and-format reading named.</summary>
    [TestCase("\"7\"")]
    [TestCase("W/\"7\"")]
    [TestCase("\"07\"")]
    [TestCase("\"+7\"")]
    [TestCase("\"-1\"")]
    [TestCase("\"0\"")]
    [TestCase("\"00\"")]
    [TestCase("\"\"7\"\"")]
    [TestCase("\"\"")]
    [TestCase("\"")]
    [TestCase("7")]
    [TestCase("\"7")]
    [TestCase("\" 7\"")]
    [TestCase("\"2147483647\"")]
    [TestCase("\"2147483648\"")]
    [TestCase("\"\u0667\"")]
    [TestCase("  \"3\" ,\t\"4\",,W/\"5\" , w/\"6\", *, \"x\"")]
    [TestCase("W/ \"3\"")]
    [TestCase("*,\"9\"")]
    [TestCase(" , ")]
    public void If_none_match_names_what_the_split_reading_named(string header)
    {
        var read = Preconditions.IfNoneMatch(Request("If-None-Match", header))!;

        var any = false;
        var versions = new HashSet<int>();
        foreach (var raw in header.Split(','))
        {
            var tag = raw.Trim();
            if (tag == "*") any = true;
            if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
            if (int.TryParse(tag.AsSpan().Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
                && tag == Preconditions.ETagOf(version)) versions.Add(version);
        }

        Assert.Multiple(() =>
        {
            Assert.That(read.Any, Is.EqualTo(any));
            Assert.That(read.Versions, Is.EquivalentTo(versions));
        });
    }

    private static string Text(string cursor)
    {
        var padded = cursor.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(padded));
    }

    private static HttpRequest Request(string header, string? value)
    {
        var context = new DefaultHttpContext();
        if (value is not null) context.Request.Headers[header] = value;
        return context.Request;
    }
}
