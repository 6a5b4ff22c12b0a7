/**
 * Unit tests call handlers directly, and their Powertools loggers would print to the test output.
 * Quiet unless a test asks for logs (it sets POWERTOOLS_LOG_LEVEL before it creates a logger).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
