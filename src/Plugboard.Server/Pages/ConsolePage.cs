using System.Globalization;
using Microsoft.AspNetCore.Components;
using Plugboard.Client;

namespace Plugboard.Server.Pages;

/// What every signed-in page has: the request, its session, the API as that session, and an API error in words.
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [Inject]
    protected ConsoleClient Clients { get; set; } = default!;

    [Inject]
    protected NavigationManager Navigation { get; set; } = default!;

    protected SignedIn Session => ConsoleSessions.Current(HttpContext);

    protected PlugboardClient Api => Clients.For(Session);

    /// The API's refusal, as its message (never a stack); null when the last call succeeded.
    protected string? Error { get; set; }

    /// Runs an API call; a refusal becomes <see cref="Error"/> and the call's result is default.
    protected async Task<T?> TryAsync<T>(Func<Task<T>> call)
    {
        try
        {
            Error = null;
            return await call();
        }
        catch (PlugboardApiException e)
        {
            Error = e.Message;
            return default;
        }
    }

    protected async Task<bool> TryAsync(Func<Task> call) =>
        await TryAsync(async () =>
        {
            await call();
            return true;
        });

    protected static string When(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "";

    /// A console URL with query parameters (empty ones left out), for links that keep the page's filters.
    protected static string Link(string path, params (string Name, string? Value)[] query)
    {
        var parts = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value!)}");
        var text = string.Join("&", parts);
        return text.Length == 0 ? path : path + "?" + text;
    }
}
