namespace Kanbatte.Domain;

/// <summary>A partial change: a null field is left as it is; <see cref="Clear"/> names optional fields to empty.</summary>
public sealed record ChangeProject(string? Name, string? Description, string? Repository, IReadOnlySet<string>? Clear = null);
