namespace Kanbatte.Storage.Sqlite;

public sealed class SqliteOptions
{
    /// <summary>The database file; its folder is created when missing.</summary>
    public string Path { get; set; } = System.IO.Path.Combine(".kanbatte", "kanbatte.db");

    /// <summary>
    /// NORMAL (the default) keeps every acknowledged write through a process crash or kill; FULL also through an OS crash
    /// or power loss, at the price of an fsync per write.
    /// </summary>
    public string Synchronous { get; set; } = "NORMAL";
}
