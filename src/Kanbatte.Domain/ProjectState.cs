namespace Kanbatte.Domain;

public sealed record ProjectState(
    string Key, string Name, string? Description, string? Repository,
    int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
