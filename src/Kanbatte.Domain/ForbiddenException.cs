namespace Kanbatte.Domain;

/// <summary>The caller is a member of the project, but their role does not allow this. Maps to 403.</summary>
public sealed class ForbiddenException(string message) : DomainException(message);
