using System.Reflection;
using System.Text.Encodings.Web;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Plugboard.Samples.EmbedHost;

// A SaaS's page with a "Connect Gelato" button (seed 000's story): its backend signs the user's token (GET /token),
// the page loads Plugboard's embed SDK from the Plugboard server and opens the Connect screen in a popup.
var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}
var settings = HostSettings.FromEnvironment(builder.Configuration);
var app = builder.Build();

app.MapGet("/", () =>
{
    var plugboard = HtmlEncoder.Default.Encode(settings.PlugboardUrl.ToString().TrimEnd('/'));
    var html = Resource("index.html")
        .Replace("{{PLUGBOARD_URL}}", plugboard, StringComparison.Ordinal)
        .Replace("{{CONNECTION_NAME}}", HtmlEncoder.Default.Encode(settings.ConnectionName ?? $"gelato_{settings.ExternalProjectId}"), StringComparison.Ordinal)
        .Replace("{{USER}}", HtmlEncoder.Default.Encode($"{settings.ExternalUserId} ({settings.Role}) in {settings.ExternalProjectId}"), StringComparison.Ordinal);
    return Results.Content(html, "text/html; charset=utf-8");
});
app.MapGet("/host.js", () => Results.Content(Resource("host.js"), "text/javascript; charset=utf-8"));
app.MapGet("/health", () => Results.Text("ok"));

// The user is signed in to the SaaS (here: whoever the settings say); their page asks its own backend for a token.
// A real backend checks its own session first, and never hands out the private key.
app.MapGet("/token", (HttpContext http) =>
{
    http.Response.Headers.CacheControl = "no-store";
    var now = DateTime.UtcNow;
    var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object>
        {
            ["externalUserId"] = settings.ExternalUserId,
            ["externalProjectId"] = settings.ExternalProjectId,
            ["projectDisplayName"] = settings.ExternalProjectId,
            ["firstName"] = "Sample",
            ["lastName"] = "User",
            ["role"] = settings.Role,
        },
        IssuedAt = now,
        NotBefore = now,
        Expires = now.AddMinutes(5),
        Issuer = settings.Issuer,
        Audience = settings.Audience,
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(settings.PrivateKey) { KeyId = settings.SigningKeyId }, SecurityAlgorithms.RsaSha256),
    });
    return Results.Json(new { token });
});

app.Run();

static string Resource(string name)
{
    using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("EmbedHost." + name)
        ?? throw new InvalidOperationException($"{name} is missing from the assembly.");
    using var reader = new StreamReader(stream);
    return reader.ReadToEnd();
}
