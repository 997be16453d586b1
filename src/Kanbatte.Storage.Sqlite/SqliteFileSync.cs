using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Kanbatte.Storage.Sqlite;

/// <summary>
/// Flushes a connection's database file and WAL to disk through SQLite's own handles of them: sqlite3_file_control with
/// SQLITE_FCNTL_FILE_POINTER and SQLITE_FCNTL_JOURNAL_POINTER gives the connection's <c>sqlite3_file</c> objects, and
/// their VFS's xSync flushes each (fsync on Unix, FlushFileBuffers on Windows), exactly as SQLite's own checkpoint does.
/// Not a file handle of our own: closing a second descriptor of the database file would drop every POSIX lock the
/// process holds on it, SQLite's included. SQLitePCLRaw does not wrap sqlite3_file_control, so it is called from the
/// same native library Microsoft.Data.Sqlite loads.
/// </summary>
internal static partial class SqliteFileSync
{
    private const int FilePointer = 7;     // SQLITE_FCNTL_FILE_POINTER
    private const int JournalPointer = 28; // SQLITE_FCNTL_JOURNAL_POINTER: the WAL, in WAL mode
    private const int SyncNormal = 2;      // SQLITE_SYNC_NORMAL
    // sqlite3_io_methods begins { int iVersion; xClose; xRead; xWrite; xTruncate; xSync; ... }: with iVersion padded to a
    // pointer's width (as on every ABI SQLite runs on), xSync is its sixth pointer-sized slot.
    private const int SyncSlot = 5;

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static partial int FileControl(IntPtr db, string name, int op, out IntPtr file);

    /// <summary>Flushes the database file and, once the connection has opened it, the WAL.</summary>
    public static void Sync(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var db = handle.DangerousGetHandle();
            Sync(db, FilePointer);
            Sync(db, JournalPointer);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static unsafe void Sync(IntPtr db, int pointer)
    {
        var rc = FileControl(db, "main", pointer, out var file);
        if (rc != 0) throw new SqliteException($"sqlite3_file_control({pointer}) failed", rc);
        var methods = file == IntPtr.Zero ? IntPtr.Zero : Marshal.ReadIntPtr(file); // sqlite3_file.pMethods: null while not open
        if (methods == IntPtr.Zero) return;
        var sync = (delegate* unmanaged[Cdecl]<IntPtr, int, int>)Marshal.ReadIntPtr(methods, SyncSlot * IntPtr.Size);
        rc = sync(file, SyncNormal);
        if (rc != 0) throw new SqliteException($"Flushing {(pointer == FilePointer ? "the database file" : "the WAL")} to disk failed", rc);
    }
}
