using ContentAgent.Batches;
using ContentAgent.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContentAgent.ConsoleHost;

/// <summary>Builds the console's services: configuration (appsettings.json, environment), ContentAgent on the SQLite store, delivery.</summary>
internal static class ConsoleServices
{
    public const string DefaultDatabase = "contentagent.db";

    public static ServiceProvider Build(string? database, int? parallel, ICheckpointGate? gate, bool verbose, bool live = false)
    {
        // appsettings.json next to the host, then one in the working folder, then the environment (ContentAgent__Chat__ApiKey), then --live.
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables();
        if (live)
        {
            builder.AddInMemoryCollection([new($"{ContentAgentOptions.SectionName}:Chat:Mode", "Live")]);
        }

        var configuration = builder.Build();

        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.None);
            if (verbose)
            {
                logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        });
        services.AddContentAgent(configuration.GetSection(ContentAgentOptions.SectionName))
            .UseSqliteStore(options =>
            {
                configuration.GetSection($"{ContentAgentOptions.SectionName}:Store").Bind(options);
                options.Path = database ?? configuration[$"{ContentAgentOptions.SectionName}:Store:Path"] ?? DefaultDatabase;
            })
            .AddDelivery()
            .ConfigureExecution(configuration);
        services.Configure<ContentAgent.Delivery.Packaging.PackagingOptions>(configuration.GetSection($"{ContentAgentOptions.SectionName}:{ContentAgent.Delivery.Packaging.PackagingOptions.SectionName}"));
        if (parallel is { } value)
        {
            services.PostConfigure<ContentAgentOptions>(options => options.MaxParallelPosts = value);
        }

        if (gate is not null)
        {
            services.AddSingleton(gate);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
