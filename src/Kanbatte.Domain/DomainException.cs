namespace Kanbatte.Domain;

/// <summary>
/// A command refused by a rule or by the state it was decided on (400, 404, 409, 412), as opposed to a failure of the
/// code or the store. Only these are worth deciding again after a fresh read of the stream.
/// </summary>
public abstract class DomainException(string message) : Exception(message);
