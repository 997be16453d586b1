namespace Kanbatte.Domain;

public sealed record CreateProject(string? Key, string? Name, string? Description, string? Repository);
