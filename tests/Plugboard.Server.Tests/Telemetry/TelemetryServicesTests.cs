using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Plugboard.Server.Telemetry;

namespace Plugboard.Server.Tests.Telemetry;

public sealed class TelemetryServicesTests
{
    [Fact]
    public void AddPlugboardTelemetry_NoEndpoint_RegistersNothing()
    {
        var services = new ServiceCollection().AddPlugboardTelemetry(Configuration(null));

        Assert.Empty(services);
        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.Null(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void AddPlugboardTelemetry_Endpoint_RegistersTracerAndMeterProviders()
    {
        var services = new ServiceCollection().AddLogging().AddPlugboardTelemetry(Configuration("http://127.0.0.1:4318"));

        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
    }

    private static IConfiguration Configuration(string? endpoint) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServices.EndpointVariable] = endpoint })
        .Build();
}
