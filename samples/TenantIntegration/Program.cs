namespace Plugboard.Samples.TenantIntegration;

internal static class Program
{
    public static Task Main(string[] args) => TenantIntegrationApp.Build(args).RunAsync();
}
