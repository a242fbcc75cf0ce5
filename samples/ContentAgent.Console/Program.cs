using System.CommandLine;
using ContentAgent.ConsoleHost;

var root = new RootCommand("ContentAgent: plans, writes, scores and learns from batches of social posts. Offline by default.")
{
    BatchCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    }

    await Console.Error.WriteLineAsync("Run with --help to see the commands and options.");
    return ExitCodes.BadInput;
}

return await parse.InvokeAsync();
