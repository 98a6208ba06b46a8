"""`python -m glmplan`."""

from glmplan.entry import main

if __name__ == "__main__":
    main()
