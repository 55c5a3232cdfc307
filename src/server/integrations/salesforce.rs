//! Salesforce adapter (being built).
