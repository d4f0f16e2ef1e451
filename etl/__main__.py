from .cli import main

if __name__ == "__main__":  # worker processes started by spawn (Windows, macOS) import this module too
    main()
