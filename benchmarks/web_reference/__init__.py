"""The web benchmark's reference: the site's own URLs plus one bare view, same settings."""
