using System.Buffers;
using System.Text;

namespace Plugboard.Server.OAuth.Outbound;

/// Copies a response body while counting, so a hostile or broken server cannot make us buffer
/// gigabytes; Content-Length is only a hint and is checked first to fail early.
internal static class CappedBody
{
    private const int ChunkSize = 16 * 1024;

    public static async Task CopyAsync(Stream source, Stream destination, int maxBytes, CancellationToken ct)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw OutboundRefusedException.ResponseTooLarge();
                }
                await destination.WriteAsync(chunk.AsMemory(0, read), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public static async Task<string> ReadStringAsync(HttpResponseMessage response, int maxBytes, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw OutboundRefusedException.ResponseTooLarge();
        }
        await using var source = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        await CopyAsync(source, buffer, maxBytes, ct);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), response.Content.Headers.ContentType?.CharSet);
    }

    private static string Decode(ReadOnlySpan<byte> bytes, string? charset)
    {
        var encoding = EncodingFor(charset);
        var preamble = encoding.Preamble;
        if (preamble.Length > 0 && bytes.StartsWith(preamble))
        {
            bytes = bytes[preamble.Length..];
        }
        return encoding.GetString(bytes);
    }

    private static Encoding EncodingFor(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return Encoding.UTF8;
        }
        try
        {
            return Encoding.GetEncoding(charset.Trim('"', ' '));
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }
}
