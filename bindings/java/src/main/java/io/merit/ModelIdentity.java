package io.merit;

/** What identifies the model behind a result, for the audit trail: its id, version and
 *  the SHA-256 of its canonical JSON. */
public record ModelIdentity(String id, String version, String contentHash) {}
