using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Plugboard.Testing.FakeOAuth;

internal static class FakeOAuthHost
{
    /// The empty builder reads no appsettings.json, environment or command line: the test host's own
    /// Kestrel endpoints or ASPNETCORE_URLS must not move the fake off its ephemeral loopback port.
    /// It also has no logging providers, which keeps the benchmark's hot path quiet.
    public static WebApplication Build(ProviderState state, AuthorizeEndpoint authorize)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddRoutingCore();

        var app = builder.Build();
        app.MapPost("/token", (RequestDelegate)new TokenEndpoint(state).HandleAsync);
        app.MapGet("/authorize", (RequestDelegate)authorize.HandleAsync);
        return app;
    }

    public static string BoundAddress(WebApplication app) =>
        app.Urls.SingleOrDefault() is { } url
            ? url.TrimEnd('/')
            : throw new InvalidOperationException("The fake OAuth provider did not bind an address.");
}
