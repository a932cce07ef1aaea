"""What the API tests of the support programmes share: the endpoints and starting an application."""

PROGRAMMES = "/api/v1/programmes/"


APPLICATIONS = "/api/v1/applications/"


def url(application, action: str = "") -> str:
    pk = application if isinstance(application, int) else application.pk
    return f"{APPLICATIONS}{pk}/" + (f"{action}/" if action else "")


def start(client, programme, applicant, **fields):
    return client.post(
        APPLICATIONS,
        {"programme": programme.pk, "applicant": applicant.uscc, **fields},
        format="json",
    )
