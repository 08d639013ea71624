using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Plugboard.Bench.Refresh;

/// The few API calls the refresh run makes, as a client would make them: JSON over HTTP with the admin key.
internal static class BenchApi
{
    public static HttpClient Client(Uri baseAddress, string apiKey)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    public static async Task<JsonElement> PostAsync(HttpClient http, string path, object body, HttpStatusCode expected, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        return await ReadAsync(response, $"POST {path}", expected, ct);
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string pathAndQuery, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(pathAndQuery, UriKind.Relative), ct);
        return await ReadAsync(response, $"GET {pathAndQuery}", HttpStatusCode.OK, ct);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string request, HttpStatusCode expected, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{request} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        }
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// The server writes UTC; a time without an offset is taken as UTC too, not as local time.
    public static DateTime? Time(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var time = value.GetDateTime();
        return time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime();
    }
}
