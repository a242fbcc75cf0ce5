namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures ContentAgent's services; returned by <c>services.AddContentAgent(...)</c> and extended by other ContentAgent packages.</summary>
public interface IContentAgentBuilder
{
    /// <summary>Gets the services ContentAgent is registered in.</summary>
    IServiceCollection Services { get; }
}
