using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Plugboard.Testing.FakeOAuth;

/// Writes JSON straight into the response pipe: no serializer, no reflection, one small object per answer.
internal static class JsonReplies
{
    public static async Task WriteAsync(HttpResponse response, int status, Action<Utf8JsonWriter> members)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        // RFC 6749 §5.1: token responses must not be cached.
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }
        await response.BodyWriter.FlushAsync();
    }

    public static Task WriteErrorAsync(HttpResponse response, int status, string error, string? description = null) =>
        WriteAsync(response, status, writer =>
        {
            writer.WriteString("error", error);
            if (description is not null)
            {
                writer.WriteString("error_description", description);
            }
        });
}
