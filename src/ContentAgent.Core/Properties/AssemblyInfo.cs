// The shared mechanisms (telemetry, named pipelines, configuration binding) exist once, here; the sibling ContentAgent
// packages, versioned and shipped together with Core, use them directly instead of keeping copies of their own.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ContentAgent.Delivery")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ContentAgent.Core.Tests")]
