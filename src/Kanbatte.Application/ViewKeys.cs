using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Kanbatte.Application;

/// <summary>
/// Where each entity lives in the view. Tasks, comments and members share their project's partition, so a task is a
/// point read and a project's lists are single-partition queries; projects share one partition so listing them is one
/// too, and each user has a partition holding a copy of every project they are a member of, so their project list is
/// one query as well. A document's id starts with its kind, and an entity's document id equals its stream id.
/// User ids are opaque (up to 256 characters, any of them): in keys they appear as a hash, which any store takes.
/// </summary>
public static class ViewKeys
{
    public const string ProjectsPartition = "_projects";
    public const string ProjectKind = "project";
    public const string TaskKind = "task";
    public const string CommentKind = "comment";
    public const string FollowupKind = "followup";
    public const string MemberKind = "member";
    public const string MembershipKind = "membership";
    public const string UnownedKind = "unowned";
    public const string UnownedPartition = "_unowned";

    public static (string Partition, string Id) Project(string key) => (ProjectsPartition, "project:" + key);
    public static (string Partition, string Id) Task(string projectKey, string taskId) => (projectKey, "task:" + taskId);
    public static (string Partition, string Id) Comment(string projectKey, string commentId) => (projectKey, "comment:" + commentId);
    public static (string Partition, string Id) Followup(string projectKey, string followupId) => (projectKey, "followup:" + followupId);
    public static (string Partition, string Id) Member(string projectKey, string userId) => (projectKey, "member:" + UserKey(userId));

    /// <summary>A member's copy of a project's document: the project as their project list shows it.</summary>
    public static (string Partition, string Id) Membership(string userId, string projectKey) => ("user:" + UserKey(userId), "project:" + projectKey);

    /// <summary>A project without an owner (made before users existed), for operators to give it one: <c>{key, name}</c>.</summary>
    public static (string Partition, string Id) Unowned(string projectKey) => (UnownedPartition, "project:" + projectKey);

    /// <summary>The user id's SHA-256 in base64url: 43 characters a store key may always hold.</summary>
    public static string UserKey(string userId) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));
}
