"""The learner's holder key (a did:key) and the Verifiable Presentation it signs."""
