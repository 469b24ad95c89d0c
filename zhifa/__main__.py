"""`python -m zhifa …`, the same as the `zhifa` console script."""
from zhifa.cli import main

if __name__ == "__main__":
    main()
