using System.Collections.Immutable;

namespace Kanbatte.Domain;

/// <summary>
/// A task's stream folded: what its commands decide on. It holds the task and every live child entity of the task
/// (its comments and followups), so a decision about one needs no re-read of the history. It is not a wire document: the task's
/// document is <see cref="Task"/>, each comment's is its entry in <see cref="Comments"/>.
/// </summary>
public sealed record TaskStream(TaskState Task, ImmutableDictionary<string, CommentState> Comments)
{
    public static readonly ImmutableDictionary<string, CommentState> NoComments = ImmutableDictionary.Create<string, CommentState>(StringComparer.Ordinal);
    public static readonly ImmutableDictionary<string, FollowupState> NoFollowups = ImmutableDictionary.Create<string, FollowupState>(StringComparer.Ordinal);

    /// <summary>The task's followups, every one (a followup is resolved, never deleted).</summary>
    public ImmutableDictionary<string, FollowupState> Followups { get; init; } = NoFollowups;

    /// <summary>The stream's version: every event of the stream, the comments' included, counts.</summary>
    public int Version => Task.Version;
}
