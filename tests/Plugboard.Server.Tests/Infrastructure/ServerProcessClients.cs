namespace Plugboard.Server.Tests.Infrastructure;

public static class ServerProcessClients
{
    /// A client of the process with the admin key every test server is started with.
    public static HttpClient Client(this ServerProcess server) => server.Client(TestApp.AdminKey);
}
