using Kanbatte.Storage.Sqlite;

namespace Kanbatte.Server;

/// <summary>
/// One server per SQLite file. The server decides on what it holds in memory: cached stream states (a project's members
/// among them, <c>LoadOption.AnyCachedValue</c>) and comment and followup numbers handed out ahead of their commit
/// (<c>SqliteCounters</c>). A second server on the same file would decide on states the first had moved past (a removed
/// member still a member) and could give a number the first gave too. So a server holds an exclusive lock on a file
/// beside the database (<c>kanbatte.db.lock</c>) for as long as it runs, and a second one refuses to start.
/// <para>
/// The lock is the operating system's (<see cref="FileShare.None"/>: <c>flock</c> on Linux and macOS, a sharing lock on
/// Windows), released when the process exits however it exits, so a killed server never leaves a stale lock behind. It is
/// a separate file because closing a descriptor of the database file would drop SQLite's own locks on it. The
/// <c>rebuild</c> command does not take it: it is made to run beside a serving server (it writes a new view table and swaps it in).
/// A host the tests build in process holds it as long as it runs too.
/// </para>
/// </summary>
public sealed class SqliteServerLock : IDisposable
{
    private readonly FileStream _file;

    private SqliteServerLock(FileStream file) => _file = file;

    /// <summary>The lock of the database <c>Kanbatte:Sqlite:Path</c> names, or a refusal naming the file when another server holds it.</summary>
    public static SqliteServerLock Acquire(IConfiguration configuration)
    {
        var database = Path.GetFullPath((configuration.GetSection("Kanbatte:Sqlite").Get<SqliteOptions>() ?? new SqliteOptions()).Path);
        var path = database + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            return new SqliteServerLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Another Kanbatte server is running on {database} (it holds {path}). Run one server per database file: stop that one, or give this one another --Kanbatte:Sqlite:Path.", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
