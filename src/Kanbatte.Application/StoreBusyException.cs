namespace Kanbatte.Application;

/// <summary>
/// The store refused a write for now because another writer got in its way in a way the write cannot decide again on
/// (e.g. a second server on the same SQLite file took the numbers it carries): nothing was written, and the same request
/// may be sent again. HTTP answers 503.
/// </summary>
public sealed class StoreBusyException(string message) : Exception(message);
