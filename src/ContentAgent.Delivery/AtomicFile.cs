namespace ContentAgent.Delivery;

/// <summary>Writes a file under a temporary name beside it and moves it into place, so a crash never leaves half a file.</summary>
internal static class AtomicFile
{
    public static async Task<string> WriteAsync(string directory, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, name);
        var temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return path;
    }

    public static Task<string> WriteAsync(string directory, string name, byte[] content, CancellationToken cancellationToken) =>
        WriteAsync(directory, name, (stream, token) => stream.WriteAsync(content, token).AsTask(), cancellationToken);
}
