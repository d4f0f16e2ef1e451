"""The bundled configuration files: where they are (`resources`) and how YAML is read
safely, with the line and column of every key (`yamlsafe`)."""
