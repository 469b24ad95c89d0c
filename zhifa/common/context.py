def nav(request):
    user = getattr(request, "user", None)
    return {"current_role": getattr(user, "get_role_display", lambda: "")() if user and user.is_authenticated else ""}
