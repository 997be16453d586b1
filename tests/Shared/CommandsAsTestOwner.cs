using Kanbatte.Application;
using Kanbatte.Domain;

namespace Kanbatte.Testing;

/// <summary>
/// The commands as a test writes history with them: on behalf of <see cref="TestUsers.Owner"/>, who creates every
/// project these make and so is a member of it, with the input known up front. Tests about who may do what call the
/// commands with a caller of their own instead.
/// </summary>
public static class CommandsAsTestOwner
{
    public static Task<ProjectState> CreateProjectAsync(this KanbatteCommands commands, CreateProject cmd, EventMetadata metadata, CancellationToken ct = default) =>
        commands.CreateProjectAsync(TestUsers.Owner, () => cmd, metadata, ct);

    public static Task<ProjectState> ChangeProjectAsync(this KanbatteCommands commands, string key, ChangeProject cmd, int? ifMatch, EventMetadata metadata, CancellationToken ct = default) =>
        commands.ChangeProjectAsync(TestUsers.Owner, key, () => (cmd, ifMatch), metadata, ct);

    public static Task<TaskState> CreateTaskAsync(this KanbatteCommands commands, string projectKey, CreateTask cmd, EventMetadata metadata, CancellationToken ct = default) =>
        commands.CreateTaskAsync(TestUsers.Owner, projectKey, () => cmd, metadata, ct);

    public static Task<TaskState> ChangeTaskAsync(this KanbatteCommands commands, string taskId, ChangeTask cmd, int? ifMatch, EventMetadata metadata, CancellationToken ct = default) =>
        commands.ChangeTaskAsync(TestUsers.Owner, taskId, () => (cmd, ifMatch), metadata, ct);

    public static Task<TaskState> MoveTaskAsync(this KanbatteCommands commands, string taskId, string? status, string? before, string? after, int? ifMatch, EventMetadata metadata, CancellationToken ct = default) =>
        commands.MoveTaskAsync(TestUsers.Owner, taskId, () => (status, before, after, ifMatch), metadata, ct);

    public static Task<TaskState> ArchiveTaskAsync(this KanbatteCommands commands, string taskId, bool archive, int? ifMatch, EventMetadata metadata, CancellationToken ct = default) =>
        commands.ArchiveTaskAsync(TestUsers.Owner, taskId, archive, () => ifMatch, metadata, ct);

    public static Task<CommentState> AddCommentAsync(this KanbatteCommands commands, string taskId, AddComment cmd, EventMetadata metadata, CancellationToken ct = default) =>
        commands.AddCommentAsync(TestUsers.Owner, taskId, () => cmd, metadata, ct);

    public static Task<CommentState> EditCommentAsync(this KanbatteCommands commands, string taskId, string commentId, string? body, EventMetadata metadata, CancellationToken ct = default) =>
        commands.EditCommentAsync(TestUsers.Owner, taskId, commentId, () => body, metadata, ct);

    public static Task DeleteCommentAsync(this KanbatteCommands commands, string taskId, string commentId, EventMetadata metadata, CancellationToken ct = default) =>
        commands.DeleteCommentAsync(TestUsers.Owner, taskId, commentId, () => { }, metadata, ct);
}
