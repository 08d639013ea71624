using System.Reflection;
using Plugboard.Client.Http;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Contract;

/// The SDK against the server's own OpenAPI document: every operation has a client method, and each method's
/// request and answer types carry exactly the document's fields.
public sealed class ClientCoversOpenApiTests(Servers servers)
{
    private static readonly IReadOnlyList<(MethodInfo Method, string OperationId)> Methods =
        typeof(PlugboardClient).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetCustomAttributes<OperationAttribute>().Select(a => (m, a.OperationId)))
            .ToList();

    [Fact]
    public async Task EveryOperation_HasExactlyOneClientMethod()
    {
        var document = await OpenApiDocument.FetchAsync((await servers.SqliteAsync()).BaseAddress);
        var operations = document.Operations().Select(o => o.Id).ToHashSet();

        var missing = operations.Where(id => !Methods.Any(m => m.OperationId == id)).Order().ToList();
        var unknown = Methods.Where(m => !operations.Contains(m.OperationId)).Select(m => $"{m.Method.DeclaringType!.Name}.{m.Method.Name} → {m.OperationId}").ToList();
        var twice = Methods.GroupBy(m => m.OperationId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(missing.Count == 0, "Operations without a client method: " + string.Join(", ", missing));
        Assert.True(unknown.Count == 0, "Client methods naming no operation: " + string.Join(", ", unknown));
        Assert.True(twice.Count == 0, "Operations with more than one client method: " + string.Join(", ", twice));
    }

    [Fact]
    public async Task EveryClientMethod_RequestAndAnswerTypes_MatchTheDocumentsSchemas()
    {
        var document = await OpenApiDocument.FetchAsync((await servers.SqliteAsync()).BaseAddress);
        var operations = document.Operations().ToDictionary(o => o.Id, o => o.Operation);
        var comparison = new SchemaComparison(document);
        var untyped = new List<string>();

        foreach (var (method, operationId) in Methods.Where(m => operations.ContainsKey(m.OperationId)))
        {
            var operation = operations[operationId];
            var where = $"{method.DeclaringType!.Name}.{method.Name}";
            var answer = AnswerType(method);
            var responseSchema = OpenApiDocument.ResponseSchema(operation);
            if (answer is null)
            {
                if (responseSchema is not null && method.ReturnType == typeof(Task))
                {
                    untyped.Add($"{where}: answers a body in the document but returns nothing");
                }
            }
            else if (responseSchema is null)
            {
                untyped.Add($"{where}: returns {answer.Name}, the document's answer has no JSON body");
            }
            else
            {
                comparison.Compare(answer, responseSchema, $"{where} answer");
            }

            var body = method.GetParameters().Select(p => p.ParameterType).FirstOrDefault(IsBodyType);
            var requestSchema = OpenApiDocument.RequestSchema(operation);
            if (body is not null && requestSchema is not null)
            {
                comparison.Compare(body, requestSchema, $"{where} request");
            }
            else if (requestSchema is not null && OpenApiDocument.RefName(requestSchema) is not null)
            {
                untyped.Add($"{where}: the document takes a {OpenApiDocument.RefName(requestSchema)} body the method has no type for");
            }
        }

        var problems = comparison.Differences.Concat(untyped).ToList();
        Assert.True(problems.Count == 0, "The SDK differs from the OpenAPI document:\n" + string.Join('\n', problems));
    }

    // Task<T> → T; Task, HttpResponseMessage (the proxy's answer as the upstream sent it) → null.
    private static Type? AnswerType(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            var answer = type.GetGenericArguments()[0];
            return answer == typeof(HttpResponseMessage) ? null : answer;
        }
        return null;
    }

    private static bool IsBodyType(Type type) =>
        type.Assembly == typeof(PlugboardClient).Assembly && type.IsClass && !type.Name.EndsWith("Query", StringComparison.Ordinal);
}
