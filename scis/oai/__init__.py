"""OAI-PMH 2.0 at /oai for literature and documents."""
