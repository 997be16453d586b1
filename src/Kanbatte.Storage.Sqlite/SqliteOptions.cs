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

    /// <summary>
    /// True (the default) when the host runs <see cref="SqliteDatabase.CheckpointAsync"/> in the background: the writer then
    /// leaves checkpoints to it (SQLite would otherwise copy the WAL into the database inside the commit that crosses
    /// 1,000 pages, making that writer and every writer queued behind it wait), keeping a checkpoint of its own only as a
    /// safety net past <see cref="SqliteDatabase.SafetyNetCheckpointPages"/>. Tools that write without such a host leave it false.
    /// </summary>
    public bool BackgroundCheckpoints { get; set; }

    /// <summary>
    /// The WAL's size, in pages (4 KiB), past which <see cref="SqliteDatabase.CheckpointAsync"/> starts it over (64 MiB by
    /// default); the file itself is truncated once writes pause.
    /// </summary>
    public int MaxWalPages { get; set; } = 16_384;
}
