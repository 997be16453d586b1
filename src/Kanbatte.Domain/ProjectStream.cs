using System.Collections.Immutable;

namespace Kanbatte.Domain;

/// <summary>
/// A project's stream folded: the project as clients see it (<see cref="Project"/>, its wire document) and its members
/// by user id, which every request on the project is authorized against.
/// </summary>
public sealed record ProjectStream(ProjectState Project, ImmutableDictionary<string, Member> Members)
{
    public static readonly ImmutableDictionary<string, Member> NoMembers = ImmutableDictionary.Create<string, Member>(StringComparer.Ordinal);

    public int Version => Project.Version;

    public string? RoleOf(string userId) => Members.GetValueOrDefault(userId)?.Role;

    public bool HasOwner => Members.Values.Any(m => m.Role == ProjectRoles.Owner);
}
