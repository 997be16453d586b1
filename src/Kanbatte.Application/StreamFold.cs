using System.Collections.Immutable;
using Kanbatte.Domain;

namespace Kanbatte.Application;

/// <summary>How a kind of stream folds into the state its commands decide on.</summary>
/// <param name="Evolve">The state after one stored event (decoded and upcast by <see cref="EventCodec"/>).</param>
/// <param name="VersionOf">The stream version a state reflects.</param>
/// <param name="SizeOf">About how many bytes of memory a state holds, so the <see cref="StreamStateCache"/> is bounded by memory, not by entries.</param>
/// <param name="TimeOf">When the state's entity last changed (its <c>UpdatedAt</c>): a new event is never stamped before it.</param>
public sealed record StreamFold<TState>(Func<TState?, EventEnvelope, TState?> Evolve, Func<TState, int> VersionOf, Func<TState, long> SizeOf, Func<TState, DateTimeOffset> TimeOf) where TState : class
{
    /// <summary>How a state is kept as a <see cref="StreamSnapshot"/>, for streams that may grow long; null for none.</summary>
    public StateCodec<TState>? Snapshot { get; init; }

    public TState? Fold(IEnumerable<EventEnvelope> events, TState? state = null)
    {
        foreach (var e in events) state = Evolve(state, e);
        return state;
    }
}

/// <summary>The folds of Kanbatte's two kinds of streams.</summary>
public static class StreamFolds
{
    /// <summary>The project with its members: see <see cref="ProjectStream"/>.</summary>
    public static readonly StreamFold<ProjectStream> Project = new(
        (state, e) => ProjectDecider.EvolveStream(state, EventCodec.Decode(e), e.Version, e.RecordedAt), state => state.Version, StateSizes.Of,
        state => state.Project.UpdatedAt)
    {
        Snapshot = new("project-stream/1",
            state => KanbatteJson.Serialize(new ProjectSnapshot(state.Project, state.Members)),
            json => KanbatteJson.Deserialize<ProjectSnapshot>(json) is { Project: not null, Members: not null } s
                ? new ProjectStream(s.Project, s.Members.WithComparers(StringComparer.Ordinal))
                : null),
    };

    /// <summary>The task with its comments: see <see cref="TaskStream"/>.</summary>
    public static readonly StreamFold<TaskStream> Task = new(
        (state, e) => TaskDecider.EvolveStream(state, EventCodec.Decode(e), e.Version, e.RecordedAt), state => state.Version, StateSizes.Of,
        state => state.Task.UpdatedAt)
    {
        Snapshot = new("task-stream/1",
            state => KanbatteJson.Serialize(new TaskSnapshot(state.Task, state.Comments, state.Followups)),
            json => KanbatteJson.Deserialize<TaskSnapshot>(json) is { Task: not null, Comments: not null, Followups: not null } s
                ? new TaskStream(s.Task, s.Comments.WithComparers(StringComparer.Ordinal)) { Followups = s.Followups.WithComparers(StringComparer.Ordinal) }
                : null),
    };

    // The snapshots' shapes: the states' own fields, without their derived properties (Version, HasOwner). A change to
    // either shape, or to what a fold makes of an event, takes a new schema name above: snapshots under the old one are
    // then ignored and taken again.
    private sealed record ProjectSnapshot(ProjectState Project, ImmutableDictionary<string, Member> Members);
    private sealed record TaskSnapshot(TaskState Task, ImmutableDictionary<string, CommentState> Comments, ImmutableDictionary<string, FollowupState> Followups);
}

/// <summary>Encodes a folded state as a <see cref="StreamSnapshot"/>'s text, and back, under <paramref name="Schema"/>.</summary>
public sealed record StateCodec<TState>(string Schema, Func<TState, string> Encode, Func<string, TState?> Decode) where TState : class;

/// <summary>
/// Estimates of the memory a folded state holds on a 64-bit runtime: objects' headers and fields, strings at two bytes a
/// character, a node of an immutable dictionary per entry. Rough by design (within tens of percent); what matters is that
/// a task with 500 comments weighs 500 times one with one, so the cache's bound holds in bytes.
/// </summary>
public static class StateSizes
{
    private const long Object = 24, Field = 8, DictionaryEntry = 64;

    public static long Of(TaskStream state)
    {
        var size = Object + 3 * Field + Of(state.Task);
        foreach (var comment in state.Comments.Values) size += DictionaryEntry + Of(comment.Id) + Object + 8 * Field + Of(comment.Body) + Of(comment.AuthorId) + Of(comment.Author);
        foreach (var followup in state.Followups.Values) size += DictionaryEntry + Of(followup.Id) + Object + 9 * Field + Of(followup.Body) + Of(followup.AuthorId) + Of(followup.Author);
        return size;
    }

    public static long Of(ProjectStream state)
    {
        var project = state.Project;
        var size = Object + 2 * Field + Object + 7 * Field + Of(project.Key) + Of(project.Name) + Of(project.Description) + Of(project.Repository);
        foreach (var member in state.Members.Values) size += DictionaryEntry + Object + 4 * Field + Of(member.UserId) + Of(member.Name) + Of(member.Role);
        return size;
    }

    private static long Of(TaskState task)
    {
        var size = Object + 15 * Field + Of(task.Id) + Of(task.Title) + Of(task.Description) + Of(task.Assignee) + Of(task.Rank) + Object + Field * task.Labels.Count;
        foreach (var label in task.Labels) size += Of(label);
        return size;
    }

    private static long Of(string? text) => text is null ? 0 : 22 + 2L * text.Length;
}
