namespace Kanbatte.Application;

/// <summary>The view: point reads, the projector's writes and the queries lists need. Every list is keyset-paged.</summary>
public interface IViewStore
{
    Task<ViewDocument?> GetAsync(string partition, string id, CancellationToken ct = default);

    /// <summary>Applies the changes in order; where the store allows it, all at once. A delete leaves a document written at a later version than its own.</summary>
    Task WriteAsync(IReadOnlyList<ViewChange> changes, CancellationToken ct = default);

    Task<IReadOnlyList<ViewDocument>> ListProjectsAsync(string? afterKey, int limit, CancellationToken ct = default);

    Task<IReadOnlyList<ViewDocument>> ListTasksAsync(TaskListQuery query, CancellationToken ct = default);

    /// <summary>How many tasks each status column holds (archived tasks left out).</summary>
    Task<IReadOnlyDictionary<string, int>> CountTasksByStatusAsync(string projectKey, CancellationToken ct = default);

    Task<IReadOnlyList<ViewDocument>> ListCommentsAsync(string projectKey, string taskId, int afterNumber, int limit, CancellationToken ct = default);

    /// <summary>A project's followups by number, of one task or of all (<paramref name="taskId"/> null), with the given statuses (any when empty).</summary>
    Task<IReadOnlyList<ViewDocument>> ListFollowupsAsync(string projectKey, string? taskId, IReadOnlyList<string> statuses, int afterNumber, int limit, CancellationToken ct = default);

    /// <summary>
    /// The documents of the given kinds in one partition, by id, after <paramref name="afterId"/> (all when null): a
    /// project's members, a user's projects, the projects without an owner, every entity of a project (the changes feed).
    /// </summary>
    Task<IReadOnlyList<ViewDocument>> ListByIdAsync(string partition, IReadOnlyList<string> kinds, string? afterId, int limit, CancellationToken ct = default);

    /// <summary>
    /// Makes this instance's reads of a project's documents (its own, in the projects' partition, and those in its
    /// partition) that follow the call see every write acknowledged before it, whoever made it: the changes feed's first
    /// pull lists the view after reading the journal's head, which another instance's projector moved only after its
    /// view writes. SQLite's reads see every committed write already. A Cosmos DB read may be served by a replica a few
    /// milliseconds behind a write another instance made (session consistency covers only this client's own requests),
    /// so the store writes a small marker in each of the two partitions: the session token each write returns, which the
    /// SDK sends with this client's later requests there, lets only a replica that holds it, and every write before it,
    /// answer them.
    /// </summary>
    Task FenceProjectAsync(string projectKey, CancellationToken ct = default);
}
