"""Single sign-on with OpenID Connect: the provider's client, matching people, the settings."""
