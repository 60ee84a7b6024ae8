"""Use cases (<noun>_<verb>), called alike by the web views, the API and the CLI.

They take typed values (keikaku.core.plan models) and return typed values or model instances, and raise
:class:`keikaku.services.errors.ServiceError` subclasses that each caller turns into a message, an HTTP
status or an exit code. Time ("now") is always a parameter.
"""

from keikaku.services.errors import Conflict, InvalidDocument, NotFound, PermissionDenied, ServiceError

__all__ = ["Conflict", "InvalidDocument", "NotFound", "PermissionDenied", "ServiceError"]
