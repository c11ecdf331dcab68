using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Application.Features.Partners;

/// <summary>
/// The small status document partners poll. A poll carrying the current ETag in If-None-Match is
/// answered from the version alone (304): the case itself is never loaded or serialised for it.
/// </summary>
public static class GetCaseStatus
{
    public sealed record Query(Caller Caller, Guid Id, string? IfNoneMatch) : IRequest<Result>;

    public sealed record Result(CaseStatus? Status, string ETag)
    {
        public bool NotModified => Status is null;
    }

    public sealed class Handler(IStatusQueries statuses, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query request, CancellationToken cancellationToken)
        {
            // A conditional poll is answered from the version alone; an unconditional one needs one read.
            if (!string.IsNullOrWhiteSpace(request.IfNoneMatch))
            {
                var head = await statuses.HeadAsync(request.Id, cancellationToken);
                if (head is null || !CaseAccess.MaySee(request.Caller, head.RequestingState, head.RequestedState))
                    throw new NotFoundException($"No case {request.Id}.");
                var etag = $"\"{head.Version}\"";
                if (Matches(request.IfNoneMatch, etag)) return new Result(null, etag);
            }

            var read = await statuses.ReadAsync(request.Id, clock.GetUtcNow(), cancellationToken);
            if (read is null || !CaseAccess.MaySee(request.Caller, read.Head.RequestingState, read.Head.RequestedState))
                throw new NotFoundException($"No case {request.Id}.");
            return new Result(read.Status, $"\"{read.Status.Version}\"");
        }

        /// <summary>If-None-Match uses weak comparison (RFC 9110 13.1.2) and may list several tags, or *.</summary>
        private static bool Matches(string? ifNoneMatch, string etag)
        {
            if (string.IsNullOrWhiteSpace(ifNoneMatch)) return false;
            foreach (var raw in ifNoneMatch.Split(','))
            {
                var tag = raw.Trim();
                if (tag == "*") return true;
                if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
                if (tag == etag) return true;
            }

            return false;
        }
    }
}
