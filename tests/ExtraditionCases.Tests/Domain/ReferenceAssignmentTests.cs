using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Tests.Domain;

/// <summary>A filing builds its case before the reference is allocated (issue 20): only that case may be given one, once.</summary>
public sealed class ReferenceAssignmentTests
{
    [Test]
    public void A_case_filed_without_a_reference_takes_the_allocated_one_once()
    {
        var file = CaseBuilder.CompleteFile();
        var filed = ExtraditionCase.FileNew(Guid.NewGuid(), "", file, CaseBuilder.Filed, CaseBuilder.Filed,
            new DeadlineOptions().RulesFor(file.RequestingState, file.RequestedState));

        filed.AssignReference("EXT-2026-000042");

        Assert.Multiple(() =>
        {
            Assert.That(filed.Reference, Is.EqualTo("EXT-2026-000042"));
            Assert.That(filed.Version, Is.EqualTo(1));
            Assert.That(filed.Changes, Has.Count.EqualTo(1));
            Assert.That(() => filed.AssignReference("EXT-2026-000043"), Throws.InvalidOperationException);
        });
    }

    [Test]
    public void A_case_with_a_reference_or_past_its_filing_keeps_it()
    {
        var referenced = CaseBuilder.NewCase();
        var moved = CaseBuilder.InState(CaseState.UnderReview);

        Assert.Multiple(() =>
        {
            Assert.That(() => referenced.AssignReference("EXT-2026-000044"), Throws.InvalidOperationException);
            Assert.That(() => moved.AssignReference("EXT-2026-000045"), Throws.InvalidOperationException);
            Assert.That(() => referenced.AssignReference(""), Throws.ArgumentException);
            Assert.That(referenced.Reference, Is.EqualTo("EXT-TEST"));
        });
    }
}
