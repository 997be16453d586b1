namespace Kanbatte.Domain;

/// <summary>The command contradicts the current state (e.g. a key already taken). Maps to 409.</summary>
public sealed class ConflictException(string message) : DomainException(message);
