using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Tests.Domain;

/// <summary>
/// The Stateless machine is configured once per thread and bound to a case per call (issue 20): cases fired
/// on many threads at once, interleaved on each thread, each move only their own state and read only their own facts.
/// </summary>
public class SharedMachineTests
{
    [Test]
    public void Cases_fired_in_parallel_and_interleaved_each_follow_their_own_state_and_guards()
    {
        var at = CaseBuilder.Filed.AddHours(1);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var complete = CaseBuilder.NewCase();
            var incomplete = CaseBuilder.NewCase(CaseBuilder.CompleteFile() with { Offences = [] });
            for (var round = 0; round < 20; round++)
            {
                complete.Step(WorkflowTrigger.Submit, at);
                // The incomplete file's guard reads its own case, not the one the machine was last bound to.
                Assert.Throws<GuardsUnmetException>(() => incomplete.Step(WorkflowTrigger.Submit, at));
                Assert.That(incomplete.AllowedActions(CaseSide.Requesting, at), Does.Not.Contain(WorkflowTrigger.Submit));
                Assert.That(complete.State, Is.EqualTo(CaseState.UnderReview));
                Assert.That(complete.AllowedActions(CaseSide.Requested, at), Does.Contain(WorkflowTrigger.Certify));
                complete.Step(WorkflowTrigger.ReturnForCorrection, at);
                Assert.That(incomplete.State, Is.EqualTo(CaseState.Draft));
                Assert.That(complete.State, Is.EqualTo(CaseState.Draft));
            }

            Assert.That(complete.Version, Is.EqualTo(41));
            Assert.That(incomplete.Version, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_guard_that_fails_on_one_case_leaves_the_thread_machine_usable_for_the_next()
    {
        var at = CaseBuilder.Filed.AddHours(1);
        var refused = CaseBuilder.InState(CaseState.UnderReview);
        Assert.Throws<TriggerNotPermittedException>(() => refused.Step(WorkflowTrigger.Arrest, at));
        var next = CaseBuilder.NewCase();
        next.Step(WorkflowTrigger.Submit, at);
        Assert.That(next.State, Is.EqualTo(CaseState.UnderReview));
        Assert.That(refused.State, Is.EqualTo(CaseState.UnderReview));
    }
}
