[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ContentAgent.Core.Tests")]
