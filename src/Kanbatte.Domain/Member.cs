namespace Kanbatte.Domain;

/// <summary>A member of a project, as the members list shows it.</summary>
public sealed record Member(string UserId, string Name, string Role, DateTimeOffset Since);
