// Package mcpserver is the Model Context Protocol server of "ddt mcp": it
// reads a running app's toolbar through its JSON API (runtime/debugapi)
// and offers a coding agent tools over the recorded requests (list them,
// read their panels, find slow and duplicated SQL, list feature flag
// evaluations and where they were made, explain a query) and a resource
// per request, ddt://requests/{id}.
//
// It is the only package, with the CLI, that links the MCP SDK
// (github.com/modelcontextprotocol/go-sdk); the app being debugged links
// nothing of it.
package mcpserver
