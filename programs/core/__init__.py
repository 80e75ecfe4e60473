"""Plain helpers every layer may use; nothing here imports a model, a view or Django's ORM."""
