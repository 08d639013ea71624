using System.Data.Common;
using System.Text;

namespace Plugboard.Server.Data;

/// Hand-written SQL sent as one command: every value goes in as a parameter ({0}, {1}, …), never as text.
public sealed class SqlBatch(DbConnection connection)
{
    private readonly StringBuilder _text = new();
    private readonly List<object> _parameters = [];

    public string Text => _text.ToString();
    public IReadOnlyList<object> Parameters => _parameters;

    /// Adds a parameter and returns its placeholder.
    public string P(object? value)
    {
        _parameters.Add(value ?? Null());
        return $"{{{_parameters.Count - 1}}}";
    }

    /// EF maps values to parameters by their type; a null has none, so it goes in as a provider parameter.
    private DbParameter Null()
    {
        using var command = connection.CreateCommand();
        var parameter = command.CreateParameter();
        parameter.ParameterName = $"n{_parameters.Count}";
        parameter.Value = DBNull.Value;
        return parameter;
    }

    public void Append(string sql) => _text.AppendLine(sql);
}
