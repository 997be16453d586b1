using System.Text;

namespace Kanbatte.Cli;

/// <summary>
/// The user's configuration folder for the tool: <c>KANBATTE_CONFIG_DIR</c> if set, else <c>kanbatte</c> in the user's
/// config folder (<c>$XDG_CONFIG_HOME</c>, else <c>~/.config</c>; <c>%APPDATA%</c> on Windows). The folder is made
/// readable by the user only (0700) and every file in it is written readable and writable by the user only (0600),
/// replaced whole through a rename, so no other user can read a token even for a moment.
/// </summary>
public static class ConfigFiles
{
    public static string Directory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("KANBATTE_CONFIG_DIR");
            if (!string.IsNullOrEmpty(configured)) return Path.GetFullPath(configured);
            var root = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrEmpty(root))
                root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return Path.Combine(root, "kanbatte");
        }
    }

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static byte[]? ReadBytes(string name)
    {
        var path = PathOf(name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public static string? ReadText(string name) => ReadBytes(name) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    public static void WriteText(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Writes the file as 0600 from its first byte: a new file beside it, then a rename over the old one.</summary>
    public static void WriteBytes(string name, byte[] bytes)
    {
        EnsureDirectory();
        var path = PathOf(name);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void Delete(string name)
    {
        var path = PathOf(name);
        if (File.Exists(path)) File.Delete(path);
    }

    private static void EnsureDirectory()
    {
        var directory = Directory;
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
            return;
        }
        if (!System.IO.Directory.Exists(directory))
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // A folder made by hand (or by an older version) is narrowed too.
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
